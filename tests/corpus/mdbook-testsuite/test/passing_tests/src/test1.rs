println!("test1");
